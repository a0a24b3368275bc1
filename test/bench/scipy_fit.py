"""Reference for bench/fit.ts: scipy's curve_fit on the same scaling-law problems.

The careful way: u = gamma x divided by its geometric mean, the start from the
log-linear regression of log(100 - S) on log u, the analytic Jacobian, MINPACK's
Levenberg-Marquardt (method 'lm') with tight tolerances. Prints per problem alpha,
beta, SSE and seconds (or the error).
"""
import json
import sys
import time
import warnings

import numpy as np
from scipy.optimize import curve_fit

warnings.filterwarnings("ignore")


def fit(p):
    u = np.array([q["gamma"] * q["x"] for q in p["points"]], dtype=float)
    s = np.array([q["score"] for q in p["points"]], dtype=float)
    ref = np.exp(np.mean(np.log(u)))
    v = u / ref
    t0 = time.perf_counter()
    slope, intercept = np.polyfit(np.log(v), np.log(100 - s), 1)
    b0 = min(10.0, max(1e-3, -slope))
    a0 = float(np.exp(np.mean(np.log(100 - s)) + b0 * np.mean(np.log(v))))

    def model(v, a, b):
        return 100 - a * v ** (-b)

    def jac(v, a, b):
        z = v ** (-b)
        return np.stack([-z, a * z * np.log(v)], axis=1)

    try:
        (a, b), _ = curve_fit(model, v, s, p0=[a0, b0], jac=jac, method="lm",
                              maxfev=20000, ftol=1e-15, xtol=1e-15, gtol=0.0)
        dt = time.perf_counter() - t0
        sse = float(np.sum((s - model(v, a, b)) ** 2))
        return {"alpha": float(a * ref ** b), "beta": float(b), "sse": sse, "seconds": dt}
    except Exception as e:  # noqa: BLE001 - reported, not hidden
        return {"error": str(e), "seconds": time.perf_counter() - t0}


def main():
    problems = json.load(open(sys.argv[1]))
    fit(problems[0])  # warm-up
    print(json.dumps([fit(p) for p in problems]))


main()
