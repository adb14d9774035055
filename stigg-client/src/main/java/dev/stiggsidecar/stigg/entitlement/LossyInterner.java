package dev.stiggsidecar.stigg.entitlement;

/**
 * An interner that may forget: a fixed table of slots, each holding the last instance whose hash
 * led there. {@link #intern} returns the instance in the value's slot when it is equal, and
 * otherwise puts the value in that slot. Values that recur share one instance while they recur;
 * a value whose slot another value took is kept as given, as it would be without interning.
 *
 * <p>Why not a complete interner: an entry in one (a weak reference, a hash-table node) costs about
 * 100 bytes, twice the 48-byte values interned here. For values that are mostly each customer's own
 * (a usage window anchored at the subscription's start, terms with a customer's add-on limit), a
 * complete interner would cost more than it saves; this table costs 4 bytes a slot, whatever passes
 * through it.
 *
 * <p>Thread-safe without locks: a slot is one reference, read and written whole, and the values
 * interned are immutable with final fields, so a value read from a slot is seen complete.
 */
final class LossyInterner<T> {

  private final Object[] slots;
  private final int mask;

  /** @param slots a power of two */
  LossyInterner(int slots) {
    if (slots <= 0 || Integer.bitCount(slots) != 1) {
      throw new IllegalArgumentException("slots must be a power of two, was " + slots);
    }
    this.slots = new Object[slots];
    this.mask = slots - 1;
  }

  @SuppressWarnings("unchecked")
  T intern(T value) {
    int hash = value.hashCode();
    int index = (hash ^ (hash >>> 16)) & mask;
    Object existing = slots[index];
    if (existing != null && existing.equals(value)) {
      return (T) existing;
    }
    slots[index] = value;
    return value;
  }
}
