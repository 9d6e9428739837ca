"""Trace (provenance.trace): the sources of a new article, read from the store without writing."""

from __future__ import annotations

from pathlib import Path

from provenance import RawDocument, Store, candidates, ingest
from provenance.match import verify
from provenance.pipeline import ProfileCache, prepare, probe_of
from provenance.sources import read_inputs
from provenance.trace import _PROBE, Trace, trace


def test_a_trace_keeps_every_source_that_verifying_each_candidate_whole_keeps(samples: str) -> None:
    """Candidates are ruled out on their content bigrams before their ordered evidence is read,
    and the sources left are those of verifying every candidate with all of it."""
    files = sorted(str(p) for p in Path(samples).rglob("*.txt"))
    with Store.open("traced.db") as store:
        ingest(store, files)
        traced = 0
        raws = [raw for raw in read_inputs(files) if isinstance(raw, RawDocument)]
        for raw, found in zip(raws, trace(store, files), strict=True):
            assert isinstance(found, Trace)
            prepared = prepare(raw, store.params, language=False)
            probe = probe_of(_PROBE, prepared, store.params)
            ids = candidates.find([probe], store).candidates[_PROBE]
            whole = ProfileCache(store).get_many(ids, ordered=True)
            expected = {
                store.facts([i])[i].key: (v.relation, v.confidence)
                for i, theirs in whole.items()
                if (v := verify(prepared.profile, theirs, store.policy)) is not None
            }
            assert {s.key: (s.relation, s.confidence) for s in found.sources} == expected
            traced += bool(expected)
        assert traced >= 5  # the copies of the samples' stories find their sources
