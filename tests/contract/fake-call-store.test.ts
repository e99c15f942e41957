import { FakeCallStore } from '../fakes/fake-call-store';
import { callStoreContract } from './call-store.contract';

callStoreContract('FakeCallStore (in memory)', () => {
  const store = new FakeCallStore();
  return Promise.resolve({
    store,
    connect: () => Promise.resolve(store.connect()),
    cleanup: () => store.close(),
  });
});
