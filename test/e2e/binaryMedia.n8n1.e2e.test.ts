import { binaryMediaSuite } from './binarySuite';

describe('binary media in real n8n 1.x (1.123.81, Node 20)', () => binaryMediaSuite(1));
