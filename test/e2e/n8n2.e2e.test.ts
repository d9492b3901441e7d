import { endToEndSuite } from './suite';

describe('real n8n 2.x (2.41.1, Node 24)', () => endToEndSuite(2));
