// Every suite tests against a fresh build: the package tests read dist/, the end-to-end tests pack it.
const { execSync } = require('node:child_process');

module.exports = async () => {
	if (process.env.FARM_SKIP_BUILD === '1') return;
	execSync('npm run build --silent', { cwd: require('node:path').join(__dirname, '..'), stdio: 'inherit' });
};
