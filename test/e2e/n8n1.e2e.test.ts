import { endToEndSuite } from './suite';

describe('real n8n 1.x (1.123.81, Node 20)', () => endToEndSuite(1));
