/** A request the harness sends, independent of the target (in-process, HTTP, msw). */
export interface OutgoingRequest {
  method: string;
  /** Path and query exactly as sent. */
  pathWithQuery: string;
  headers: Record<string, string>;
  /** Raw body text (JSON as sent); undefined for none. */
  body?: string;
}

/** A target's answer to one request, as the checks read it. */
export interface ReceivedResponse {
  status: number;
  headers: Record<string, string>;
  /** Parsed JSON, or the raw text when the body is not JSON, or undefined when empty. */
  body: unknown;
  rawBody: string;
  /**
   * What the target saw beside the answer, shown with the exchange in a failure: an in-process
   * Fetch handler that threw is answered 500 with no body, and this names what it threw.
   */
  note?: string;
}
