import { binaryMediaSuite } from './binarySuite';

describe('binary media in real n8n 2.x (2.41.1, Node 24)', () => binaryMediaSuite(2));
