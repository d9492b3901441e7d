// Removes the previous build so files deleted from the source do not linger in the package.
require('node:fs').rmSync(require('node:path').join(__dirname, '..', 'dist'), { recursive: true, force: true });
