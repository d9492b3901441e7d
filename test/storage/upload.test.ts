// The checks before an upload (checkStorage) and uploadMedia, with the storage connected as the node
// connects it (requests signed by the credential's authenticate), against the signature-checking
// test S3 server.

import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { startS3Server, type S3Server } from '../../dev/s3Server';
import type { BinaryMedia } from '../../nodes/FarmProfile/media/binaryMedia';
import { checkStorage, uploadMedia } from '../../nodes/FarmProfile/storage/upload';
import { send } from './rawHttp';
import { connectTestStorage } from './storageContext';

let server: S3Server;
let data: ICredentialDataDecryptedObject;
beforeAll(async () => {
	server = await startS3Server();
	data = server.storageCredential('farm-media', '/farm//uploads/'); // a prefix with stray slashes
});
afterAll(async () => server.close());

const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const storageOf = async (credentialData: ICredentialDataDecryptedObject, name = 'My Storage') => await connectTestStorage(credentialData, { name });

describe('checkStorage', () => {
	const now = new Date('2026-03-04T00:00:00Z');
	const storage = async (overrides: ICredentialDataDecryptedObject = {}) => await storageOf({ ...data, ...overrides });

	it('passes a complete credential whose endpoint the (local) farm can reach', async () => {
		expect(checkStorage(await storage(), { farmIsPrivate: true, now })).toEqual([]);
	});

	it('names each empty field of the credential', async () => {
		const issues = checkStorage(await storage({ bucket: ' ', secretAccessKey: '' }), { farmIsPrivate: true, now });
		expect(issues.map((issue) => issue.field)).toEqual(['Storage credential "My Storage" → Bucket', 'Storage credential "My Storage" → Secret Access Key']);
		const unnamed = checkStorage(await connectTestStorage({ ...data, endpoint: '' }), { farmIsPrivate: true, now });
		expect(unnamed.map((issue) => issue.field)).toEqual(['Storage credential → Endpoint']);
	});

	it('refuses storage a farm on the internet cannot download from: http://, private addresses', async () => {
		expect(checkStorage(await storage({ endpoint: 'http://minio.example.com:9000' }), { farmIsPrivate: false, now })).toEqual([
			expect.objectContaining({ field: 'Storage credential "My Storage" → Endpoint', problem: 'uses http://' }),
		]);
		expect(checkStorage(await storage({ endpoint: 'https://10.0.0.5:9000' }), { farmIsPrivate: false, now })).toEqual([
			expect.objectContaining({ problem: expect.stringMatching(/^points at 10\.0\.0\.5, a private or loopback address/) }),
		]);
	});

	it('takes an endpoint without a scheme as https://, and refuses one that is not a URL', async () => {
		expect(checkStorage(await storage({ endpoint: 's3.eu-central-1.amazonaws.com', forcePathStyle: false }), { farmIsPrivate: false, now })).toEqual([]);
		expect(checkStorage(await storage({ endpoint: 'exa mple.com' }), { farmIsPrivate: false, now })).toEqual([
			expect.objectContaining({ field: 'Storage credential "My Storage" → Endpoint', problem: 'is not a URL' }),
		]);
	});

	it('with a Public Base URL, that is what the farm must reach (the endpoint may be private), and the link does not expire', async () => {
		const withPublic = await storage({ endpoint: 'https://10.0.0.5:9000', publicBaseUrl: 'https://media.example.com' });
		const farAhead = new Date(now.getTime() + 30 * 86_400_000);
		expect(checkStorage(withPublic, { farmIsPrivate: false, now, scheduledAt: farAhead })).toEqual([]);
	});

	it('refuses a schedule a presigned link cannot cover (7 days at most, 24 h of it after the post), for Scheduled Time', async () => {
		const ok = new Date(now.getTime() + 6 * 86_400_000);
		const tooFar = new Date(now.getTime() + 6 * 86_400_000 + 1000);
		expect(checkStorage(await storage(), { farmIsPrivate: true, now, scheduledAt: ok })).toEqual([]);
		const [issue] = checkStorage(await storage(), { farmIsPrivate: true, now, scheduledAt: tooFar });
		expect(issue.field).toBe('Scheduled Time');
		expect(issue.fix).toMatch(/schedule the post before 2026-03-10T00:00:00Z/);
	});
});

describe('uploadMedia', () => {
	const file = Buffer.from('an mp4 for the upload test '.repeat(100));
	const media = (body: BinaryMedia['body'] = file): BinaryMedia => ({ mediaType: 'video', contentType: 'video/mp4', extension: 'mp4', size: file.length, sha256: sha(file), body, fields: ['data'] });

	it('uploads under the prefix with a key of its own, and gives a link the storage serves, its signature kept out of the output', async () => {
		const now = new Date();
		const result = await uploadMedia(await storageOf(data), media(), { reference: 'post-1', now, scheduledAt: new Date(now.getTime() + 3_600_000) });
		if (!result.ok) throw new Error(result.failure.description);
		const { uploaded } = result;
		expect(uploaded.output.key).toMatch(new RegExp(`^farm/uploads/\\d{4}/\\d{2}/\\d{2}/post-1-${sha(file).slice(0, 16)}\\.mp4$`));
		expect(server.objects.get(`farm-media/${uploaded.output.key}`)?.sha256).toBe(sha(file));
		expect(uploaded.output.link_expires_at).toBe(new Date(now.getTime() + 3_600_000 + 86_400_000).toISOString());
		expect((await send({ method: 'GET', url: uploaded.url })).body).toEqual(file);
		expect(JSON.stringify(uploaded.output) + uploaded.safeUrl).not.toMatch(/X-Amz-Signature=[0-9a-f]/);
		const signature = new URL(uploaded.url).searchParams.get('X-Amz-Signature')!;
		expect(uploaded.secrets).toContain(signature);
	});

	it('streams a body it can open again, and takes a repeated upload of the same bytes as done', async () => {
		const now = new Date();
		const streamed = media({ open: async () => Readable.from([file.subarray(0, 100), file.subarray(100)]), length: file.length });
		const first = await uploadMedia(await storageOf(data), streamed, { reference: 'post-2', now });
		const again = await uploadMedia(await storageOf(data), streamed, { reference: 'post-2', now });
		expect(first.ok && again.ok).toBe(true);
		expect(again.ok && again.uploaded.output.already_uploaded).toBe(true);
	});

	it('returns the mapped failure, which says nothing was posted, names the credential and never the secret', async () => {
		const result = await uploadMedia(await storageOf({ ...data, secretAccessKey: 'the-wrong-secret-123' }, 'Prod Bucket'), media(), { reference: 'post-3', now: new Date() });
		expect(result.ok).toBe(false);
		if (result.ok) return;
		expect(result.failure).toMatchObject({ code: 'SignatureDoesNotMatch', mayHavePosted: false });
		expect(result.failure.message).toContain('"Prod Bucket"');
		expect(JSON.stringify(result.failure)).not.toContain('the-wrong-secret-123');
	});
});
