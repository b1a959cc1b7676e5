/** Exit codes every cutover command uses. */
export const ExitCode = {
  /** Everything held: contracts pass, the gate allows. */
  Ok: 0,
  /** A contract, parity or schema failure; the gate blocks. */
  Failed: 1,
  /** Usage, configuration or tool error (which also blocks). */
  Error: 2,
  /**
   * The gate rolled a route back: the candidate has traffic and the evidence shows it is wrong.
   * The routing artifact written takes the traffic back and must be applied.
   */
  RolledBack: 3,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];
