/** An error a user can act on: a stable code, the HTTP status that fits, and a message saying what to do. */
export class ConvertError extends Error {
  constructor(
    public code: string,
    public status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ConvertError';
  }
}
