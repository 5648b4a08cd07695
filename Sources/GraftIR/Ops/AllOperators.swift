/// Every operator of the IR. Import, export and kernel tables are derived from this list, and the
/// coverage tests fail when one of them lacks an entry.
public let allOperatorTypes: [any Operator.Type] = []
