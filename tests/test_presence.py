from __future__ import annotations

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from provenance import presence as presence_module
from provenance.presence import BITS_PER_KEY, Presence

_KEYS = st.lists(st.integers(-(2**63), 2**63 - 1), max_size=300)


@settings(max_examples=80, deadline=None)
@given(_KEYS, st.lists(st.integers(0, 2**30 - 1), max_size=300), st.integers(0, 5000))
@example([0, -1, 2**63 - 1, -(2**63)], [0, 1], 0)  # the ends of both ranges
def test_a_filter_never_says_absent_of_a_key_it_was_given(bands: list[int], words: list[int], sized: int) -> None:
    presence = Presence.for_keys(sized)
    word_keys = [4 * w for w in words]  # word keys are sampled by their low bits: all multiples of 4
    presence.add(np.asarray(bands, np.int64))
    presence.add(word_keys)
    asked = np.asarray(bands + word_keys, np.int64)
    assert presence.may_hold(asked).all()
    again = Presence(np.frombuffer(presence.bits.tobytes(), np.uint8).copy())  # as a store reads it back
    assert again.may_hold(asked).all()


@pytest.mark.parametrize("stride", [1, 4])
def test_a_filter_says_absent_of_most_keys_it_was_not_given_and_fills_as_it_is_told(
    stride: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(presence_module, "_ADDED", 999)  # keys added a slice at a time, the last short
    rng = np.random.default_rng(7)
    given_keys = rng.integers(0, 2**32 // stride, 20_000, dtype=np.int64) * stride
    others = np.setdiff1d(rng.integers(0, 2**32 // stride, 20_000, dtype=np.int64) * stride, given_keys)
    presence = Presence.for_keys(len(given_keys))
    assert presence.size >= BITS_PER_KEY * len(given_keys)
    presence.add(given_keys.astype(np.uint32) if stride == 4 else given_keys)  # word keys are 32-bit
    assert presence.may_hold(given_keys).all()
    assert presence.may_hold(others).mean() < 0.06  # 8 bits a key or more, two probes: about 5% or less
    assert 0.9 < presence.keys_held() / len(given_keys) < 1.1
    assert not presence.full()
    presence.add(rng.integers(0, 2**32 // stride, 3 * len(given_keys), dtype=np.int64) * stride)
    assert presence.full()  # 4 times the keys it was made for: fewer than 4 bits a key


def test_an_empty_filter_holds_nothing_and_a_filter_is_a_power_of_two_bytes() -> None:
    presence = Presence.for_keys(0)
    assert not presence.may_hold(np.arange(1000, dtype=np.int64)).any()
    assert presence.keys_held() == 0
    assert presence.may_hold(np.empty(0, np.int64)).shape == (0,)
    with pytest.raises(ValueError, match="a power of two bytes"):
        Presence(np.zeros(3 * 8192, np.uint8))
