// The learner an adaptive run makes for each combination of the study's other combos: Learner1D for one learned
// parameter, Learner2D for two, LearnerND for three or four.
import type { AdaptLoss } from '../../../shared/adaptive';
import type { Learner } from './learner';
import { Learner1D } from './learner-1d';
import { Learner2D } from './learner-2d';
import { LearnerND } from './learner-nd';

const kindOf = (dims: number) => (dims === 1 ? 'Learner1D' : dims === 2 ? 'Learner2D' : 'LearnerND');

/** A learner over `bounds` scoring with `loss`. */
export function makeLearner(bounds: [number, number][], loss: AdaptLoss): Learner {
  if (bounds.length === 1) return new Learner1D(bounds[0]!, { loss });
  if (bounds.length === 2) return new Learner2D(bounds, { loss });
  return new LearnerND(bounds, { loss });
}

/** What the point dataset's attributes say of the learners (their kind and loss). */
export function learnerSettings(dims: number, loss: AdaptLoss): Record<string, string> {
  return { learner: kindOf(dims), loss };
}
