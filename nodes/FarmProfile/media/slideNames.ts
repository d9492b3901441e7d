// The API reference's rule for a slideshow zip: entries named slide-1.jpg, slide-2.jpg, … at the top
// level, JPG only, numbered from 1 without gaps. The zip the node writes follows it; a zip at a URL
// is checked against it.

import type { Problem } from '../posting/checks';

const slideName = (number: number | string) => `slide-${number}.jpg`;

/** The entry names of a slideshow of `count` slides, in order. */
export function slideNames(count: number): string[] {
	return Array.from({ length: count }, (_, index) => slideName(index + 1));
}

export function checkSlideNames(names: string[]): Problem | undefined {
	const files = names.filter((name) => !name.endsWith('/'));
	if (files.length === 0) {
		return { problem: 'is a zip with no slides', fix: `put ${slideNames(2).join(', ')}, … into the zip` };
	}
	const numbers: number[] = [];
	for (const name of files) {
		const match = /^slide-([1-9]\d*)\.([A-Za-z0-9]+)$/.exec(name);
		if (!match) {
			return {
				problem: `holds "${name}", which is not named slide-<number>.jpg`,
				fix: `name the slides ${slideNames(2).join(', ')}, … at the top level of the zip, with nothing else in it`,
			};
		}
		if (match[2] !== 'jpg') {
			return {
				problem: `holds "${name}": only .jpg slides are supported (no PNG, AVIF or .jpeg names)`,
				fix: `convert it to JPG and name it ${slideName(match[1])}`,
			};
		}
		numbers.push(Number(match[1]));
	}
	numbers.sort((a, b) => a - b);
	const missing = numbers.findIndex((number, index) => number !== index + 1);
	if (missing !== -1) {
		return {
			problem: numbers[missing] === missing ? `holds ${slideName(missing)} twice` : `has no ${slideName(missing + 1)} (the slides must be numbered from 1 without gaps)`,
			fix: 'number the slides 1, 2, 3, … without gaps',
		};
	}
	return undefined;
}
