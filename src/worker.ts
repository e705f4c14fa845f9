import { launch } from './lifecycle.ts';

await launch('worker');
