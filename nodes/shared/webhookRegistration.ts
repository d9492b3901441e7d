import type { IHookFunctions } from 'n8n-workflow';

/**
 * Webhook lifecycle methods for webhooks the farm API learns with each post (it has no
 * subscription endpoint): activating or deactivating a workflow has nothing to register or remove.
 */
export const nothingToRegister = {
	default: {
		async checkExists(this: IHookFunctions): Promise<boolean> {
			return true;
		},
		async create(this: IHookFunctions): Promise<boolean> {
			return true;
		},
		async delete(this: IHookFunctions): Promise<boolean> {
			return true;
		},
	},
};
