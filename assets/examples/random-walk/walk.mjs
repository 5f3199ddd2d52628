// One case of the random-walk study: reads its parameters, writes data.h5 and walk.log in its case folder.
// FURROW_PARAMS holds the parameters and FURROW_H5 a small HDF5 writer, both set by Furrow.
import fs from 'node:fs';

const { seed, max_step_size: maxStep, num_steps: steps } = JSON.parse(process.env.FURROW_PARAMS);
const log = fs.createWriteStream('walk.log');
log.write(`seed=${seed} max_step_size=${maxStep} num_steps=${steps}\n`);

// mulberry32: a small seeded generator, so a case gives the same walk on every machine
let state = seed >>> 0;
const random = () => {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

const walk = new Float64Array(steps + 1);
for (let i = 1; i <= steps; i++) walk[i] = walk[i - 1] + (2 * random() - 1) * maxStep;

// The agent-based model: agents lose energy each step, gain some at random, die at zero, and split when rich.
let agents = Array.from({ length: 100 }, () => 1);
const meanEnergy = new Float64Array(steps + 1);
const numAgents = new Float64Array(steps + 1);
for (let t = 0; t <= steps; t++) {
  meanEnergy[t] = agents.length ? agents.reduce((a, b) => a + b, 0) / agents.length : 0;
  numAgents[t] = agents.length;
  agents = agents
    .map((e) => e - 0.05 + (random() < 0.5 ? maxStep * random() : 0))
    .filter((e) => e > 0)
    .flatMap((e) => (e > 2 && agents.length < 1000 ? [e / 2, e / 2] : [e]));
  if (t % 256 === 0) log.write(`t=${t} agents=${agents.length}\n`);
}

// Each array with its dim by name (a dimension scale, as netCDF4 has it): the walk's iteration, the ABM's time.
const { writeH5 } = await import(process.env.FURROW_H5);
await writeH5(
  'data.h5',
  { random_walk: walk, 'abm/mean_energy': meanEnergy, 'abm/num_agents': numAgents },
  { seed },
  { dims: { random_walk: 'iteration', 'abm/mean_energy': 'time', 'abm/num_agents': 'time' } },
);
log.end(`done: final position ${walk[steps].toFixed(3)}\n`);
