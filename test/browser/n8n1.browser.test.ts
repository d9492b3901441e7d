import { browserSuite } from './suite';

describe('the editor in a browser, real n8n 1.x (1.123.81, Node 20)', () => browserSuite(1));
