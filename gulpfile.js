// tsc compiles the TypeScript; n8n also needs each node's icons and codex file (categories,
// documentation links) and each credential's icons beside the .js files, and the package's main
// (index.js) goes beside the built folders it requires.
const { src, dest } = require('gulp');

function buildAssets() {
	return src(['nodes/**/*.{png,svg}', 'nodes/**/*.node.json', 'credentials/**/*.{png,svg}', 'index.js'], { base: '.', encoding: false }).pipe(
		dest('dist'),
	);
}

exports['build:assets'] = buildAssets;
