// The parts of fontkit 2 and pdfkit 0.20 that Lineage uses (neither package ships type declarations).

declare module "fontkit" {
  export interface Glyph {
    id: number;
    advanceWidth: number;
    bbox: { minX: number; minY: number; maxX: number; maxY: number };
  }
  export interface Font {
    unitsPerEm: number;
    ascent: number;
    descent: number;
    postscriptName: string;
    characterSet: number[];
    "OS/2": { typoAscender: number; typoDescender: number };
    hasGlyphForCodePoint(cp: number): boolean;
    glyphForCodePoint(cp: number): Glyph;
  }
  export function create(buffer: Uint8Array): Font;
}

declare module "pdfkit" {
  interface PDFDocumentOptions {
    size?: [number, number];
    margin?: number;
    autoFirstPage?: boolean;
    compress?: boolean;
    pdfVersion?: string;
    lang?: string;
    displayTitle?: boolean;
    info?: { Title?: string; Author?: string; Subject?: string; Creator?: string; Producer?: string; CreationDate?: Date; ModDate?: Date };
  }
  interface TextOptions {
    lineBreak?: boolean;
    baseline?: "alphabetic" | "top" | "middle" | "bottom" | "hanging" | "ideographic" | number;
    features?: string[];
  }
  class PDFDocument {
    constructor(options?: PDFDocumentOptions);
    on(event: "data", cb: (chunk: Uint8Array) => void): this;
    on(event: "end", cb: () => void): this;
    on(event: "error", cb: (err: Error) => void): this;
    registerFont(name: string, src: Uint8Array | string): this;
    font(name: string): this;
    fontSize(size: number): this;
    widthOfString(text: string, options?: TextOptions): number;
    text(text: string, x: number, y: number, options?: TextOptions): this;
    save(): this;
    restore(): this;
    translate(x: number, y: number): this;
    rotate(angle: number, options?: { origin?: [number, number] }): this;
    rect(x: number, y: number, w: number, h: number): this;
    circle(x: number, y: number, r: number): this;
    moveTo(x: number, y: number): this;
    lineTo(x: number, y: number): this;
    closePath(): this;
    lineWidth(w: number): this;
    lineCap(c: "butt" | "round" | "square"): this;
    lineJoin(j: "miter" | "round" | "bevel"): this;
    dash(length: number, options?: { space?: number; phase?: number }): this;
    dash(pattern: number[], options?: { phase?: number }): this;
    undash(): this;
    fillColor(color: string, opacity?: number): this;
    strokeColor(color: string, opacity?: number): this;
    fillOpacity(o: number): this;
    strokeOpacity(o: number): this;
    fill(color?: string): this;
    stroke(color?: string): this;
    fillAndStroke(fill?: string, stroke?: string): this;
    end(): void;
  }
  export default PDFDocument;
}
