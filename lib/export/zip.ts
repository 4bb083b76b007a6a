// The "export all" archive: fflate's ZIP writer (deflated entries, UTF-8 names); it runs unchanged in the browser
// and in Node. Names are checked here first: fflate would write a "../" path or silently keep one of two equal names.
import { type Zippable, zipSync } from "fflate";

export interface ZipEntry {
  name: string;
  data: Uint8Array | string;
  date?: Date;
}

export function zip(entries: ZipEntry[]): Uint8Array {
  const enc = new TextEncoder();
  const files: Zippable = {};
  for (const e of entries) {
    if (!e.name || e.name.startsWith("/") || e.name.split("/").includes("..")) throw new Error(`unsafe ZIP entry name "${e.name}"`);
    if (Object.hasOwn(files, e.name)) throw new Error(`duplicate ZIP entry "${e.name}"`);
    files[e.name] = [typeof e.data === "string" ? enc.encode(e.data) : e.data, { mtime: e.date ?? new Date() }];
  }
  return zipSync(files, { level: 6 });
}

/** Reads the central directory back (for tests and for checking an archive): names, sizes, CRCs. */
export function readZipDirectory(buf: Uint8Array): { name: string; size: number; crc: number; offset: number }[] {
  const v = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  let eocd = -1;
  for (let i = buf.length - 22; i >= 0; i--)
    if (v.getUint32(i, true) === 0x06054b50) {
      eocd = i;
      break;
    }
  if (eocd < 0) throw new Error("not a ZIP: no end of central directory");
  const count = v.getUint16(eocd + 10, true);
  let p = v.getUint32(eocd + 16, true);
  const dec = new TextDecoder();
  const out: { name: string; size: number; crc: number; offset: number }[] = [];
  for (let k = 0; k < count; k++) {
    if (v.getUint32(p, true) !== 0x02014b50) throw new Error("bad central directory entry");
    const nameLen = v.getUint16(p + 28, true);
    const extra = v.getUint16(p + 30, true);
    const comment = v.getUint16(p + 32, true);
    out.push({
      name: dec.decode(buf.subarray(p + 46, p + 46 + nameLen)),
      size: v.getUint32(p + 24, true),
      crc: v.getUint32(p + 16, true),
      offset: v.getUint32(p + 42, true),
    });
    p += 46 + nameLen + extra + comment;
  }
  return out;
}
