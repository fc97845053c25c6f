// One view module per kind of stage, named after the kind (the same vocabulary as the engine).
import * as input from "./input.js";
import * as conv from "./conv.js";
import * as relu from "./relu.js";
import * as pool from "./pool.js";
import * as sigmoid from "./sigmoid.js";
import * as flatten from "./flatten.js";
import * as dense from "./dense.js";
import * as softmax from "./softmax.js";

export const VIEWS = { input, conv, relu, pool, sigmoid, flatten, dense, softmax };
