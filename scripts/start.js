'use strict';
// `npm start`: the playground. Builds the package, prepares real n8n 2.x (cached), starts the
// sandbox farm API, a test S3-compatible storage (dev/s3Server.js, which checks signatures) and n8n
// on loopback with the package loaded the way users get it, imports the example workflows, a
// credential pointing at the sandbox and a storage credential pointing at the test storage, and
// prints where to click. Ctrl-C stops everything.
//
// Environment: FARM_N8N_PORT (5678), FARM_SANDBOX_PORT (4010), FARM_S3_PORT (4020),
// FARM_N8N_MAJOR (2; 1 for n8n 1.x),
// FARM_PLAYGROUND_DIR (.playground, kept between runs so your edits survive a restart),
// FARM_SKIP_BUILD=1 (use the dist/ that is there).

const { execSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const { createFarmSandbox } = require('../dev/sandbox/farmSandbox');
const { startS3Server } = require('../dev/s3Server');
const { N8nInstance, packPackage, OWNER } = require('../dev/n8nInstance');
const { localExamples } = require('../dev/examples');

const ROOT = path.join(__dirname, '..');
const N8N_PORT = Number(process.env.FARM_N8N_PORT ?? 5678);
const SANDBOX_PORT = Number(process.env.FARM_SANDBOX_PORT ?? 4010);
const S3_PORT = Number(process.env.FARM_S3_PORT ?? 4020);
const MAJOR = Number(process.env.FARM_N8N_MAJOR ?? 2);
const PLAYGROUND = path.resolve(process.env.FARM_PLAYGROUND_DIR ?? path.join(ROOT, '.playground'));
const API_KEY = 'sandbox-key';
const CREDENTIAL = { id: 'farmPlaygrndCrd1', name: 'Farm Profile API (sandbox)' };
// The test storage: a bucket and a key pair of the playground's own (path style, as for MinIO).
const STORAGE = {
	id: 'farmPlaygrndS3C1',
	name: 'Farm Profile Storage (playground S3)',
	region: 'us-east-1',
	bucket: 'playground-media',
	accessKeyId: 'AKIAPLAYGROUND000001',
	secretAccessKey: 'playground/secret+KEY0123456789abcdefgh',
	pathPrefix: 'farm/uploads',
};

function say(line) {
	process.stdout.write(`[playground] ${line}\n`);
}

/** The test storage on S3_PORT: a bucket and a key pair of its own. */
async function startStorage() {
	const s3 = await startS3Server({
		port: S3_PORT,
		region: STORAGE.region,
		buckets: [STORAGE.bucket],
		accessKeyId: STORAGE.accessKeyId,
		secretAccessKey: STORAGE.secretAccessKey,
	});
	return { url: s3.endpoint, stop: () => s3.close() };
}

async function main() {
	if (process.env.FARM_SKIP_BUILD !== '1') {
		say('building the package');
		execSync('npm run build --silent', { cwd: ROOT, stdio: 'inherit' });
	}
	const tarball = packPackage(path.join(PLAYGROUND, 'pack'));

	const sandbox = await createFarmSandbox({
		port: SANDBOX_PORT,
		apiKeys: [API_KEY],
		callbackDelayMs: 5_000,
		log: say,
	}).start();
	say(`sandbox farm API on ${sandbox.url} (what it received: ${sandbox.url}/_sandbox/state)`);
	const storage = await startStorage();
	say(`test S3 storage on ${storage.url} (bucket ${STORAGE.bucket}, signatures checked)`);

	say(`preparing n8n ${MAJOR}.x (installed once into a cache; the first time takes about 3 minutes)`);
	const userFolder = path.join(PLAYGROUND, `n8n-${MAJOR}`);
	const firstRun = !fs.existsSync(path.join(userFolder, '.n8n', 'database.sqlite'));
	fs.mkdirSync(userFolder, { recursive: true });
	const n8n = await N8nInstance.create({ major: MAJOR, tarball, port: N8N_PORT, userFolder });

	let stopping = false;
	const stop = async () => {
		if (stopping) return;
		stopping = true;
		say('stopping n8n, the sandbox and the test storage');
		await n8n.stop();
		await sandbox.stop();
		await storage.stop();
		process.exit(0);
	};
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);

	await n8n.importCredentials([
		{ ...CREDENTIAL, type: 'farmProfileApi', data: { apiKey: API_KEY, baseUrl: sandbox.url } },
		{
			id: STORAGE.id,
			name: STORAGE.name,
			type: 'farmProfileStorageApi',
			data: {
				endpoint: storage.url,
				region: STORAGE.region,
				bucket: STORAGE.bucket,
				accessKeyId: STORAGE.accessKeyId,
				secretAccessKey: STORAGE.secretAccessKey,
				sessionToken: '',
				forcePathStyle: true,
				pathPrefix: STORAGE.pathPrefix,
				publicBaseUrl: '',
			},
		},
	]);
	const workflows = localExamples({ n8n: n8n.baseUrl, sandbox: sandbox.url, s3: storage.url });
	await n8n.importWorkflows(workflows);
	const trigger = workflows.find((workflow) => workflow.nodes.some((node) => node.type.endsWith('.farmProfileTrigger')));
	await n8n.activate(trigger.id);

	say(`starting n8n ${n8n.host.version} on Node ${n8n.host.nodeVersion}`);
	await n8n.start();
	const webhookId = trigger.nodes.find((node) => node.webhookId).webhookId;
	await n8n.waitForWebhook(n8n.webhookUrl(webhookId));
	if (firstRun) await n8n.setupOwner();

	say('');
	say(`ready: open ${n8n.baseUrl}`);
	say(`  log in as ${OWNER.email} / ${OWNER.password}`);
	const named = (id) => workflows.find((workflow) => workflow.id === id).name;
	say(`  "${named('farmExamplePost1')}": open it and click "Execute workflow"; about 5 s later the`);
	say(`  sandbox calls back, "${trigger.name}" runs, and both records appear at ${sandbox.url}/_sandbox/state`);
	say(`  "${named('farmExampleWait1')}": the same in one execution, which waits`);
	say('  for the callback and goes on with the live link');
	say(`  "${named('farmExampleBin01')}": a file made in the workflow (here the sandbox's`);
	say(`  sample MP4) is uploaded to the test storage (${storage.url}, bucket ${STORAGE.bucket}) and the farm`);
	say('  gets a presigned link to it; the last step shows the bucket, key and link expiry');
	say(`  "${named('farmExampleFleet1')}": 12 generated videos spread over five profiles, at most 2 a day`);
	say('  each, 2 hours apart, 09:00–21:00 Berlin time; turn on Plan Only to see the plan without posting');
	say(`  "${named('farmExampleProf1')}": the bio and picture of three profiles; each picture is`);
	say('  checked first, the output is the farm\'s profile object (one still warming up, with a note)');
	say(`  "${named('farmExampleAgnt1')}": an AI Agent with the Farm Profile tool; give its chat model`);
	say('  node a credential of yours to chat with it (the tool itself posts drafts to the sandbox)');
	say('  Ctrl-C stops everything');
}

main().catch((error) => {
	process.stderr.write(`[playground] failed: ${error.stack}\n`);
	process.exit(1);
});
