/**
 * Every subcommand of `logsleuth`, in the order `--help` lists them. Each module
 * adds one command to the program and keeps no analysis logic of its own.
 */
import type { Command } from 'commander';
import type { CliRun } from '../io';
import { register as analyze } from './analyze';
import { register as ip } from './ip';
import { register as snapshot } from './snapshot';
import { register as reputation } from './reputation';
import { register as events } from './events';
import { register as errors } from './errors';
import { register as templates } from './templates';
import { register as watch } from './watch';
import { register as serve } from './serve';
import { register as trace } from './trace';
import { register as rules } from './rules';
import { register as query } from './query';
import { register as exportStore } from './export';
import { register as record } from './record';
import { register as agent } from './agent';
import { register as collect } from './collect';
import { register as pcap } from './pcap';
import { register as capture } from './capture';

export type RegisterCommand = (program: Command, run: CliRun) => void;

export const commands: RegisterCommand[] = [
  analyze,
  watch,
  serve,
  snapshot,
  ip,
  reputation,
  events,
  errors,
  templates,
  rules,
  trace,
  record,
  query,
  exportStore,
  agent,
  collect,
  pcap,
  capture,
];
