import { MemoryStore } from '../../src/store/memory';
import { describeDurableStoreContract } from './contract';

describeDurableStoreContract('MemoryStore', () => new MemoryStore());
