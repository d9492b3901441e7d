// The example workflows as `npm start` and the tests import them: the addresses they are written
// with, pointed at the ports of this run.

const { WRITTEN, pointAt, localExamples } = require('../../dev/examples');

describe('pointAt', () => {
	it('puts each written address in once, though a port put in starts with another written port', () => {
		// A sandbox on port 40207 holds ":4020", the test storage's written port: read again, it would turn into "…:443757".
		const text = `${WRITTEN.sandbox}/_media/a.mp4 ${WRITTEN.s3}/bucket ${WRITTEN.n8n}/webhook/x`;
		const urls = { n8n: 'http://127.0.0.1:40105', sandbox: 'http://127.0.0.1:40207', s3: 'http://127.0.0.1:44375' };
		expect(pointAt(text, urls)).toBe('http://127.0.0.1:40207/_media/a.mp4 http://127.0.0.1:44375/bucket http://127.0.0.1:40105/webhook/x');
	});

	it('leaves a longer port and the addresses it is not given as they are', () => {
		expect(pointAt(`http://127.0.0.1:40100/x ${WRITTEN.s3}/y`, { sandbox: 'http://127.0.0.1:5000' })).toBe(`http://127.0.0.1:40100/x ${WRITTEN.s3}/y`);
	});
});

describe('localExamples', () => {
	it('gives every example workflow with no written address left for the parts given', () => {
		const urls = { n8n: 'http://127.0.0.1:40107', sandbox: 'http://127.0.0.1:40201', s3: 'http://127.0.0.1:45678' };
		const workflows = localExamples(urls);
		expect(workflows.length).toBeGreaterThanOrEqual(5);
		const text = JSON.stringify(workflows);
		for (const written of Object.values(WRITTEN) as string[]) expect(text).not.toMatch(new RegExp(`${written.replace(/[.:/]/g, '\\$&')}(?!\\d)`));
		expect(text).toContain(`${urls.sandbox}/_media/`);
	});
});
