// WOFF and WOFF2 → OpenType (SFNT), unpacked with Node's native zlib and Brotli. fontkit unpacks web fonts with
// JavaScript ports of both, which takes ~3.5 s for the 3.5 MB CJK fallback font (WOFF2) and ~0.5 s for DejaVu Sans
// (WOFF) every time a PDF document opens them; natively it takes milliseconds. WOFF2 is supported for fonts whose
// tables are stored untransformed (CFF-flavoured fonts such as Source Han Sans). Node only.
import { brotliDecompressSync, inflateSync } from "node:zlib";

const KNOWN_TAGS = [
  "cmap",
  "head",
  "hhea",
  "hmtx",
  "maxp",
  "name",
  "OS/2",
  "post",
  "cvt ",
  "fpgm",
  "glyf",
  "loca",
  "prep",
  "CFF ",
  "VORG",
  "EBDT",
  "EBLC",
  "gasp",
  "hdmx",
  "kern",
  "LTSH",
  "PCLT",
  "VDMX",
  "vhea",
  "vmtx",
  "BASE",
  "GDEF",
  "GPOS",
  "GSUB",
  "EBSC",
  "JSTF",
  "MATH",
  "CBDT",
  "CBLC",
  "COLR",
  "CPAL",
  "SVG ",
  "sbix",
  "acnt",
  "avar",
  "bdat",
  "bloc",
  "bsln",
  "cvar",
  "fdsc",
  "feat",
  "fmtx",
  "fvar",
  "gvar",
  "hsty",
  "just",
  "lcar",
  "mort",
  "morx",
  "opbd",
  "prop",
  "trak",
  "Zapf",
  "Silf",
  "Glat",
  "Gloc",
  "Feat",
  "Sill",
];

export class Woff2Error extends Error {}

function readBase128(b: Uint8Array, at: { i: number }): number {
  let v = 0;
  for (let k = 0; k < 5; k++) {
    const byte = b[at.i++];
    if (k === 0 && byte === 0x80) throw new Woff2Error("UIntBase128 with a leading zero");
    v = v * 128 + (byte & 0x7f);
    if (!(byte & 0x80)) return v;
  }
  throw new Woff2Error("UIntBase128 longer than 5 bytes");
}

/** Writes an SFNT from its flavour and its tables (in any order; sorted by tag in the directory). */
function writeSfnt(flavor: number, tables: { tag: string; data: Uint8Array }[]): Uint8Array {
  const numTables = tables.length;
  const headerLen = 12 + 16 * numTables;
  const padded = (n: number) => (n + 3) & ~3;
  const out = new Uint8Array(headerLen + tables.reduce((s, t) => s + padded(t.data.length), 0));
  const o = new DataView(out.buffer);
  o.setUint32(0, flavor);
  o.setUint16(4, numTables);
  const pow = 2 ** Math.floor(Math.log2(numTables));
  o.setUint16(6, pow * 16);
  o.setUint16(8, Math.log2(pow));
  o.setUint16(10, numTables * 16 - pow * 16);
  let dst = headerLen;
  const records = tables.map((t) => {
    out.set(t.data, dst);
    let sum = 0;
    for (let k = 0; k < padded(t.data.length); k += 4) sum = (sum + o.getUint32(dst + k)) >>> 0;
    const rec = { tag: t.tag, sum, offset: dst, length: t.data.length };
    dst += padded(t.data.length);
    return rec;
  });
  records.sort((a, b) => (a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0));
  records.forEach((r, k) => {
    const p = 12 + 16 * k;
    for (let c = 0; c < 4; c++) out[p + c] = r.tag.charCodeAt(c);
    o.setUint32(p + 4, r.sum);
    o.setUint32(p + 8, r.offset);
    o.setUint32(p + 12, r.length);
  });
  return out;
}

/** The OpenType bytes of a WOFF (1.0) font. */
export function woffToSfnt(woff: Uint8Array): Uint8Array {
  const dv = new DataView(woff.buffer, woff.byteOffset, woff.byteLength);
  if (dv.getUint32(0) !== 0x774f4646) throw new Woff2Error("not a WOFF file");
  const numTables = dv.getUint16(12);
  const tables: { tag: string; data: Uint8Array }[] = [];
  for (let t = 0; t < numTables; t++) {
    const p = 44 + 20 * t;
    const tag = String.fromCharCode(...woff.subarray(p, p + 4));
    const offset = dv.getUint32(p + 4);
    const compLength = dv.getUint32(p + 8);
    const origLength = dv.getUint32(p + 12);
    const raw = woff.subarray(offset, offset + compLength);
    const data = compLength < origLength ? new Uint8Array(inflateSync(raw)) : raw;
    if (data.length !== origLength) throw new Woff2Error(`table ${tag}: ${data.length} bytes instead of ${origLength}`);
    tables.push({ tag, data });
  }
  return writeSfnt(dv.getUint32(4), tables);
}

/** The OpenType bytes of a WOFF2 font without transformed tables; throws Woff2Error for any other WOFF2. */
export function woff2ToSfnt(woff2: Uint8Array): Uint8Array {
  const dv = new DataView(woff2.buffer, woff2.byteOffset, woff2.byteLength);
  if (dv.getUint32(0) !== 0x774f4632) throw new Woff2Error("not a WOFF2 file");
  const flavor = dv.getUint32(4);
  if (flavor === 0x74746366) throw new Woff2Error("font collections are not supported");
  const numTables = dv.getUint16(12);
  const compressedSize = dv.getUint32(20);
  const at = { i: 48 };
  const tables: { tag: string; length: number }[] = [];
  for (let t = 0; t < numTables; t++) {
    const flags = woff2[at.i++];
    let tag: string;
    if ((flags & 0x3f) === 0x3f) {
      tag = String.fromCharCode(...woff2.subarray(at.i, at.i + 4));
      at.i += 4;
    } else tag = KNOWN_TAGS[flags & 0x3f];
    const length = readBase128(woff2, at);
    const version = flags >> 6;
    // glyf and loca are transformed unless version is 3; every other table is transformed unless version is 0.
    const transformed = tag === "glyf" || tag === "loca" ? version !== 3 : version !== 0;
    if (transformed) throw new Woff2Error(`table ${tag} is transformed`);
    tables.push({ tag, length });
  }
  const data = brotliDecompressSync(woff2.subarray(at.i, at.i + compressedSize));
  let src = 0;
  const out = tables.map((t) => {
    const part = { tag: t.tag, data: new Uint8Array(data.subarray(src, src + t.length)) };
    src += t.length;
    return part;
  });
  if (src !== data.length) throw new Woff2Error("table lengths do not match the decompressed data");
  return writeSfnt(flavor, out);
}
