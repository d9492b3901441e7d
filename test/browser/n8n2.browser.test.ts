import { browserSuite } from './suite';

describe('the editor in a browser, real n8n 2.x (2.41.1, Node 24)', () => browserSuite(2));
