extension BuiltinRegistry {
    /// graph.reachable and graph.reachable_paths over an adjacency object.
    static let graph: [Builtin] = [
        Builtin.function(
            "graph.reachable",
            [.object(key: .any, value: .anyOf([.anyArray, .anySet])), .anyOf([.anyArray, .anySet])],
            .anySet
        ) { ops in
            let graph = try ops.object(1)
            var queue = try initial(ops)
            var reached = Set<Value>()
            var head = 0
            while head < queue.count {
                let node = queue[head]
                head += 1
                // Only nodes present in the graph count as reached, as in OPA.
                guard let edges = graph[node] else { continue }
                if reached.contains(node) { continue }
                reached.insert(node)
                for neighbor in vertices(edges) where !reached.contains(neighbor) { queue.append(neighbor) }
            }
            return .set(reached)
        },
        Builtin.function(
            "graph.reachable_paths",
            [.object(key: .any, value: .anyOf([.anyArray, .anySet])), .anyOf([.anyArray, .anySet])],
            .set(.anyArray)
        ) { ops in
            let graph = try ops.object(1)
            var paths = Set<Value>()
            for node in try initial(ops) {
                guard let edges = graph[node] else { continue }
                let neighbors = vertices(edges)
                if neighbors.isEmpty {
                    paths.insert(.array([node]))
                    continue
                }
                for neighbor in neighbors {
                    // One visited set per first step, shared by that whole walk, as OPA keeps it.
                    var reached: Set<Value> = [node]
                    collectPaths(graph, neighbor, path: [node], reached: &reached, into: &paths)
                }
            }
            return .set(paths)
        },
    ]

    private static func initial(_ ops: Operands) throws -> [Value] {
        switch ops[2] {
        case .array(let a): return a
        case .set(let s): return s.sorted()
        default: throw ops.typeError(2, "{array, set}")
        }
    }

    private static func vertices(_ edges: Value) -> [Value] {
        switch edges {
        case .array(let a): return a
        case .set(let s): return s.sorted()
        default: return []
        }
    }

    private static func collectPaths(
        _ graph: [Value: Value], _ root: Value, path: [Value], reached: inout Set<Value>, into paths: inout Set<Value>
    ) {
        guard let edges = graph[root] else {
            paths.insert(.array(path))
            return
        }
        let here = path + [root]
        let neighbors = vertices(edges)
        if neighbors.isEmpty {
            paths.insert(.array(here))
            return
        }
        reached.insert(root)
        for neighbor in neighbors {
            if reached.contains(neighbor) {
                paths.insert(.array(here))
            } else {
                collectPaths(graph, neighbor, path: here, reached: &reached, into: &paths)
            }
        }
    }
}
