export function makeMp4(seconds: number, options?: { moovAtEnd?: boolean; mdatBytes?: number }): Buffer;
export function makeZip(names: string[]): Buffer;
