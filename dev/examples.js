'use strict';
// The example workflows of examples/ as `npm start` and the tests import them: written for the
// playground's usual addresses, pointed at this run's n8n, sandbox farm API and test storage.

const fs = require('node:fs');
const path = require('node:path');

const EXAMPLES = path.join(__dirname, '..', 'examples');
/** The addresses the examples are written with (the playground's defaults). */
const WRITTEN = { n8n: 'http://127.0.0.1:5678', sandbox: 'http://127.0.0.1:4010', s3: 'http://127.0.0.1:4020' };

/** The text with each written address replaced by this run's, in one pass: an address put in is not read again. */
function pointAt(text, urls) {
	const local = new Map(Object.entries(WRITTEN).filter(([part]) => urls[part]).map(([part, url]) => [url, urls[part]]));
	if (local.size === 0) return text;
	const written = [...local.keys()].map((url) => url.replace(/[.:/]/g, '\\$&')).join('|');
	// Not followed by a digit: ":4010" must not match the start of ":40107".
	return text.replace(new RegExp(`(${written})(?!\\d)`, 'g'), (url) => local.get(url));
}

/** Every example workflow (or the one in `file`), parsed, pointed at `urls` ({ n8n, sandbox, s3 }: those given). */
function localExamples(urls, file) {
	const files = file ? [file] : fs.readdirSync(EXAMPLES).filter((name) => name.endsWith('.json'));
	return files.map((name) => JSON.parse(pointAt(fs.readFileSync(path.join(EXAMPLES, name), 'utf8'), urls)));
}

module.exports = { WRITTEN, pointAt, localExamples };
