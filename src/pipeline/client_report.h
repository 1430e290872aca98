#pragma once
// What the client measured about itself during a profile run, for the rows under the table
// and the keys of <stem>_bench.json: its own load (event-loop CPU, pass times, events sharing
// a timestamp) and perf_analyzer's time windows. Warns when either makes the numbers doubtful.

#include "load/load_engine.h"
#include "load/measurement_windows.h"
#include "pipeline/run_sinks.h"
#include "report/results.h"
#include "util/clock.h"

namespace bench {

/// The client's load: rows, "bench.client" and "bench.events_sharing_timestamp"; warns when
/// its own load may have delayed timestamps.
void AddClientReport(const LoadResult& result, ResultsOptions& options);

/// The windows: a row, "bench.measurement_windows"; warns when the cap was reached without
/// stability.
void AddWindowReport(const WindowController& controller, const WindowedSink& sink, const LoadResult& result,
                     const EpochAnchor& anchor, ResultsOptions& options);

}  // namespace bench
