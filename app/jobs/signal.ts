// Wake-up calls between the jobs of one process, e.g. the inbox job telling the mail job it planned mail.
type Wake = () => void;
type Subscribe = (wake: Wake) => () => void;

export function createSignal(): { notify(): void; subscribe: Subscribe } {
  const listeners = new Set<Wake>();
  return {
    notify: () => listeners.forEach((wake) => wake()),
    subscribe(wake) {
      listeners.add(wake);
      return () => listeners.delete(wake);
    },
  };
}

/** Woken by any of several signals. */
export function anyOf(...signals: Subscribe[]): Subscribe {
  return (wake) => {
    const unsubscribes = signals.map((subscribe) => subscribe(wake));
    return () => unsubscribes.forEach((unsubscribe) => unsubscribe());
  };
}
