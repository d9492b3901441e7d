export function makeMp4(seconds: number, options?: { moovAtEnd?: boolean; mdatBytes?: number }): Buffer;
export function makeZip(names: string[]): Buffer;
export function makeImage(format: 'jpeg' | 'png' | 'gif' | 'webp', label?: string): Buffer;
