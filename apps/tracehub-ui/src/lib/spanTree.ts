// The span tree lives in @tracelab/trace-explain (tracehub's explain engine
// builds the same one); here it is named for the UI's spans.
import type { SpanTree as Tree } from '@tracelab/trace-explain';
import type { SpanData } from './types';

/**
 * A trace normalised once into a flat list in tree order (depth-first,
 * children by start time). A span's subtree is the contiguous range
 * [index, subtreeEnd[index]); see the package for the fields.
 */
export type SpanTree = Tree<SpanData>;

export { ancestorsOf, buildSpanTree } from '@tracelab/trace-explain';
