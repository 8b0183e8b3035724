// LEMON's network simplex on a Quire assignment instance
// (docs/assignment-format.md), built on the same transportation network as
// internal/assignment (papers supply their demand, reviewers demand their
// minimum load, one extra node takes the rest over arcs of capacity
// max - min), so that both solvers are timed on the same work:
//
//	make lemon && bin/lemon-solve neurips.txt
//
// Needs Debian's liblemon-dev. Prints the optimal cost and the time spent
// reading, building and solving.
#include <lemon/smart_graph.h>
#include <lemon/network_simplex.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

using namespace lemon;
using Clock = std::chrono::steady_clock;

static long long next(FILE *f) {
  long long v;
  if (fscanf(f, "%lld", &v) != 1) {
    fprintf(stderr, "lemon-solve: malformed instance\n");
    exit(1);
  }
  return v;
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: lemon-solve INSTANCE\n");
    return 2;
  }
  auto t0 = Clock::now();
  FILE *f = fopen(argv[1], "r");
  if (!f) {
    perror(argv[1]);
    return 1;
  }
  int np = next(f), nr = next(f);
  std::vector<int> demand(np), lo(nr), hi(nr);
  long long need = 0, mand = 0;
  for (int p = 0; p < np; p++) need += demand[p] = next(f);
  for (int r = 0; r < nr; r++) {
    lo[r] = next(f);
    hi[r] = next(f);
    mand += lo[r];
  }
  std::vector<int> ps, rs, cs;
  long long p;
  while (fscanf(f, "%lld", &p) == 1) {
    ps.push_back(p);
    rs.push_back(next(f));
    cs.push_back(next(f));
  }
  fclose(f);
  auto t1 = Clock::now();

  SmartDigraph g;
  g.reserveNode(np + nr + 1);
  g.reserveArc(ps.size() + nr);
  std::vector<SmartDigraph::Node> nodes(np + nr + 1);
  for (auto &n : nodes) n = g.addNode();
  SmartDigraph::ArcMap<int> cap(g), cost(g);
  SmartDigraph::NodeMap<int> supply(g);
  for (size_t i = 0; i < ps.size(); i++) {
    auto a = g.addArc(nodes[ps[i]], nodes[np + rs[i]]);
    cap[a] = 1;
    cost[a] = cs[i];
  }
  for (int r = 0; r < nr; r++) {
    auto a = g.addArc(nodes[np + r], nodes[np + nr]);
    cap[a] = hi[r] - lo[r];
    cost[a] = 0;
  }
  for (int q = 0; q < np; q++) supply[nodes[q]] = demand[q];
  for (int r = 0; r < nr; r++) supply[nodes[np + r]] = -lo[r];
  supply[nodes[np + nr]] = -(need - mand);
  auto t2 = Clock::now();

  NetworkSimplex<SmartDigraph> ns(g);
  ns.upperMap(cap).costMap(cost).supplyMap(supply);
  auto res = ns.run();
  auto t3 = Clock::now();
  if (res != NetworkSimplex<SmartDigraph>::OPTIMAL) {
    printf("not optimal: %d\n", (int)res);
    return 3;
  }
  auto ms = [](auto a, auto b) { return std::chrono::duration<double, std::milli>(b - a).count(); };
  printf("cost %lld\nread %.0f ms\nbuild %.0f ms\nsolve %.0f ms\ntotal %.0f ms\n", (long long)ns.totalCost<long long>(),
         ms(t0, t1), ms(t1, t2), ms(t2, t3), ms(t0, t3));
  return 0;
}
