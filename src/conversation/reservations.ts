/** Money held for an LLM call in flight, until the call is settled. */
export interface Reservation {
  id: string;
  nanos: number;
  /** When the alarm releases it if nobody settled it (epoch ms). */
  expiresAt: number;
  source: string;
  model: string;
}

/**
 * The reservations of one conversation: in memory for the budget check,
 * in SQLite so a restart keeps them. The caller runs writes inside its
 * transaction.
 */
export class Reservations {
  #held = new Map<string, Reservation>();
  #totalNanos = 0;

  constructor(private readonly sql: SqlStorage) {
    const rows = sql
      .exec<{
        id: string;
        nanos: number;
        expires_at: number;
        source: string;
        model: string;
      }>(`SELECT * FROM reservations`)
      .toArray();
    for (const row of rows) {
      this.#remember({
        id: row.id,
        nanos: row.nanos,
        expiresAt: row.expires_at,
        source: row.source,
        model: row.model,
      });
    }
  }

  /** The money all reservations hold, in nano-USD. */
  get totalNanos(): number {
    return this.#totalNanos;
  }

  /** Holds money for a call. */
  hold(reservation: Reservation): void {
    this.sql.exec(
      `INSERT OR REPLACE INTO reservations VALUES (?, ?, ?, ?, ?)`,
      reservation.id,
      reservation.nanos,
      reservation.expiresAt,
      reservation.source,
      reservation.model,
    );
    this.#forget(reservation.id);
    this.#remember(reservation);
  }

  /** Lets go of a call's money; false when it held none. */
  release(id: string): boolean {
    if (!this.#held.has(id)) return false;
    this.sql.exec(`DELETE FROM reservations WHERE id = ?`, id);
    this.#forget(id);
    return true;
  }

  /** Releases every reservation expired at `nowMs`; returns them. */
  expire(nowMs: number): Reservation[] {
    const expired = [...this.#held.values()].filter(
      (r) => r.expiresAt <= nowMs,
    );
    for (const reservation of expired) this.release(reservation.id);
    return expired;
  }

  /** When the next reservation expires (epoch ms), or null. */
  nextExpiry(): number | null {
    let next: number | null = null;
    for (const { expiresAt } of this.#held.values()) {
      if (next === null || expiresAt < next) next = expiresAt;
    }
    return next;
  }

  #remember(reservation: Reservation): void {
    this.#held.set(reservation.id, reservation);
    this.#totalNanos += reservation.nanos;
  }

  #forget(id: string): void {
    const old = this.#held.get(id);
    if (!old) return;
    this.#held.delete(id);
    this.#totalNanos -= old.nanos;
  }
}
