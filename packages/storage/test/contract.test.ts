import { MemoryStore } from '../src/index.js';
import {
  CONTRACT_STORE_OPTIONS,
  corruptMemoryStore,
  describeStoreContract,
} from '../src/testing/index.js';

describeStoreContract('MemoryStore', {
  setup: async (clock) => {
    const store = new MemoryStore({ ...CONTRACT_STORE_OPTIONS, clock });
    return {
      store,
      second: store,
      clock,
      corrupt: corruptMemoryStore(store),
      cleanup: () => store.close(),
    };
  },
});
