package dev.stiggsidecar.stigg.entitlement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LossyInternerTest {

  /** A value whose hash picks its slot, so that tests can make two values collide. */
  private record Value(String name, int hash) {
    @Override
    public int hashCode() {
      return hash;
    }
  }

  private final LossyInterner<Value> interner = new LossyInterner<>(8);

  @Test
  void anEqualValueGetsTheInstanceAlreadyThere() {
    Value first = new Value("a", 1);

    assertThat(interner.intern(first)).isSameAs(first);
    assertThat(interner.intern(new Value("a", 1))).isSameAs(first);
  }

  @Test
  void aValueThatTakesTheSlotIsKeptAsGivenAndTheOneBeforeIsForgotten() {
    Value first = new Value("a", 1);
    Value other = new Value("b", 1 + 8);
    interner.intern(first);

    assertThat(interner.intern(other)).isSameAs(other);
    Value again = new Value("a", 1);
    assertThat(interner.intern(again)).isSameAs(again).isNotSameAs(first);
  }

  @Test
  void valuesInOtherSlotsStayShared() {
    Value first = new Value("a", 1);
    Value second = new Value("b", 2);
    interner.intern(first);
    interner.intern(second);

    assertThat(interner.intern(new Value("a", 1))).isSameAs(first);
    assertThat(interner.intern(new Value("b", 2))).isSameAs(second);
  }

  @Test
  void theTableSizeMustBeAPowerOfTwo() {
    assertThatThrownBy(() -> new LossyInterner<Value>(6)).hasMessageContaining("power of two, was 6");
  }
}
