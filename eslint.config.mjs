// n8n's official community-node lint: @n8n/eslint-plugin-community-nodes (recommended) plus
// eslint-plugin-n8n-nodes-base's community (package.json), credentials and nodes rule sets.
import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';
import tsParser from '@typescript-eslint/parser';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';

const packageFiles = ['nodes/**/*.ts', 'credentials/**/*.ts', 'package.json'];

export default [
	{ ignores: ['dist/**', 'node_modules/**', 'test/**', 'scripts/**', 'bench/**', 'examples/**', '*.js'] },
	{
		files: packageFiles,
		// The TypeScript parser reads .json files as one object expression, which the package.json rules expect.
		languageOptions: { parser: tsParser, parserOptions: { sourceType: 'module', extraFileExtensions: ['.json'] } },
	},
	{ ...n8nCommunityNodesPlugin.configs.recommended, files: packageFiles },
	{ files: ['package.json'], plugins: { 'n8n-nodes-base': n8nNodesBase }, rules: n8nNodesBase.configs.community.rules },
	{ files: ['credentials/**/*.ts'], plugins: { 'n8n-nodes-base': n8nNodesBase }, rules: n8nNodesBase.configs.credentials.rules },
	{ files: ['nodes/**/*.ts'], plugins: { 'n8n-nodes-base': n8nNodesBase }, rules: n8nNodesBase.configs.nodes.rules },
	{
		// Where the older rule set contradicts the official plugin, the official plugin wins:
		// it requires NodeConnectionTypes (not 'main' literals) and accepts a URL as documentationUrl.
		files: packageFiles,
		rules: {
			'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
			'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
			'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
		},
	},
];
