import Testing

@testable import GraftRuntime

@Test func valuesWithDisjointLifetimesShareMemory() {
  let plan = MemoryPlan([
    .init(bytes: 100, first: 0, last: 1),
    .init(bytes: 100, first: 1, last: 2),
    .init(bytes: 100, first: 2, last: 3),
  ])
  // The first and third never live at once: they share an offset; the second sits beside them.
  #expect(plan.offsets[0] == plan.offsets[2])
  #expect(plan.offsets[1] != plan.offsets[0])
  #expect(plan.arenaBytes == 256)
}

@Test func overlappingValuesNeverOverlapInMemory() {
  let values: [MemoryPlan.Lifetime] = (0..<40).map {
    .init(bytes: 64 * (1 + $0 % 7), first: $0 / 3, last: $0 / 3 + $0 % 5)
  }
  let plan = MemoryPlan(values)
  for i in values.indices {
    for j in values.indices where i < j {
      let live = values[i].first <= values[j].last && values[j].first <= values[i].last
      let apart =
        plan.offsets[i] + values[i].bytes <= plan.offsets[j]
        || plan.offsets[j] + values[j].bytes <= plan.offsets[i]
      #expect(!live || apart, "values \(i) and \(j) overlap")
    }
    #expect(plan.offsets[i] % 64 == 0)
  }
}
