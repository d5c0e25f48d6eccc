/**
 * A module the page loads on first need rather than with the join form: `get()` starts the import the first time and
 * returns the same promise after, so the person's first keystroke and Join share one download. A failed download
 * (the network dropped, or the server now has another build) is forgotten, so the next `get()` asks again.
 */
export class Lazy<T> {
  readonly #load: () => Promise<T>;
  #loading: Promise<T> | null = null;

  constructor(load: () => Promise<T>) {
    this.#load = load;
  }

  get(): Promise<T> {
    this.#loading ??= this.#load().catch((error: unknown) => {
      this.#loading = null;
      throw error;
    });
    return this.#loading;
  }
}
