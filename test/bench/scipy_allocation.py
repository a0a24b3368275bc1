"""Reference for bench/allocation.ts: scipy's SLSQP on the same allocation problems.

Variables are scaled (y_i = X_i / C, so they are of order 1/n), the gradient and the
constraint Jacobian are analytic, the start is the feasible proportional allocation,
bounds are [1e-12, max_i / C]. Prints one JSON document: per problem the allocation,
the solver's status and the seconds it took.
"""
import json
import sys
import time
import warnings

import numpy as np
from scipy.optimize import minimize

warnings.filterwarnings("ignore")


def solve(p):
    a = np.array([l["alpha"] for l in p["laws"]])
    b = np.array([l["beta"] for l in p["laws"]])
    g = np.array([l["gamma"] for l in p["laws"]])
    m = np.array([l["max"] for l in p["laws"]])
    c = p["budget"]
    n = len(a)

    def f(y):
        x = np.maximum(c * y, 1e-300)
        return -np.mean(100 - a * (g * x) ** (-b))

    def grad(y):
        x = np.maximum(c * y, 1e-300)
        return -(c / n) * a * b * g ** (-b) * x ** (-b - 1)

    y0 = m / m.sum()
    cons = [{"type": "eq", "fun": lambda y: np.sum(y) - 1.0, "jac": lambda y: np.ones(n)}]
    bounds = [(1e-12, mi / c) for mi in m]
    t0 = time.perf_counter()
    r = minimize(f, y0, jac=grad, bounds=bounds, constraints=cons, method="SLSQP",
                 options={"ftol": 1e-12, "maxiter": 500})
    dt = time.perf_counter() - t0
    return {"x": (c * r.x).tolist(), "success": bool(r.success), "message": str(r.message), "seconds": dt}


def main():
    problems = json.load(open(sys.argv[1]))
    solve(problems[0])  # warm-up
    print(json.dumps([solve(p) for p in problems]))


main()
