/// Renders the probe × context tables the suite prints to stdout.
struct SummaryTable {
    var title: String
    var columns: [String]
    var rows: [(name: String, cells: [Verdict])]

    func render(detailWidth: Int = 110) -> String {
        let nameWidth = max(4, rows.map(\.name.count).max() ?? 0)
        let cellWidth = max(10, columns.map(\.count).max() ?? 0)
        func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }
        var lines = [title, pad("case", nameWidth) + "  " + columns.map { pad($0, cellWidth) }.joined(separator: " ") + "  detail (last column that is not plain)"]
        for row in rows {
            let cells = row.cells.map { pad($0.label, cellWidth) }.joined(separator: " ")
            let notable = row.cells.last { if case .blocked = $0 { return false } else { return true } } ?? row.cells.last
            lines.append(pad(row.name, nameWidth) + "  " + cells + "  " + String((notable?.detail ?? "").prefix(detailWidth)))
        }
        for (i, column) in columns.enumerated() {
            var counts: [String: Int] = [:]
            for row in rows where i < row.cells.count { counts[row.cells[i].label, default: 0] += 1 }
            lines.append("  \(column): " + counts.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", "))
        }
        return lines.joined(separator: "\n")
    }
}
