extension FilterChain {
  /// Whether `processPair` can run these two chains together: the same number of sections, at the same place
  /// on their flush grids (two tracks' chains fed the same frames always are).
  static func canPair(_ a: FilterChain, _ b: FilterChain) -> Bool {
    a !== b && a.filters.count == b.filters.count && a.grid == b.grid && !a.filters.isEmpty
  }

  /// `a.process` on `la`/`ra` and `b.process` on `lb`/`rb`, `count` frames each, the two chains' sections in
  /// one loop: each chain's output is bit for bit what it is alone (the same operations on the same values,
  /// the same flushes at the same frames). A section's recursion is a chain of dependent operations that leaves
  /// most of the CPU's arithmetic units idle; the other chain's recursions fill them.
  static func processPair(
    _ a: FilterChain, _ la: UnsafeMutablePointer<Float>, _ ra: UnsafeMutablePointer<Float>,
    _ b: FilterChain, _ lb: UnsafeMutablePointer<Float>, _ rb: UnsafeMutablePointer<Float>, count: Int
  ) {
    let (x, y) = (a.scratch, b.scratch)
    var grid = a.grid
    grid.forEachPass(count, FilterChain.pass) { start, n in
      let (l0, r0, l1, r1) = (la + start, ra + start, lb + start, rb + start)
      for i in 0..<n {
        x[i] = SIMD2(Double(l0[i]), Double(r0[i]))
        y[i] = SIMD2(Double(l1[i]), Double(r1[i]))
      }
      let sections = a.filters.count
      a.filters.withUnsafeMutableBufferPointer { fa in
        b.filters.withUnsafeMutableBufferPointer { fb in
          var s = 0
          while s < sections {
            switch sections - s {
            case 1:
              var (p, q) = (fa[s], fb[s])
              for i in 0..<n {
                x[i] = p.tick(x[i])
                y[i] = q.tick(y[i])
              }
              (fa[s], fb[s]) = (p, q)
              s += 1
            case 2:
              var (p0, p1, q0, q1) = (fa[s], fa[s + 1], fb[s], fb[s + 1])
              for i in 0..<n {
                x[i] = p1.tick(p0.tick(x[i]))
                y[i] = q1.tick(q0.tick(y[i]))
              }
              (fa[s], fa[s + 1], fb[s], fb[s + 1]) = (p0, p1, q0, q1)
              s += 2
            default:
              var (p0, p1, p2) = (fa[s], fa[s + 1], fa[s + 2])
              var (q0, q1, q2) = (fb[s], fb[s + 1], fb[s + 2])
              for i in 0..<n {
                x[i] = p2.tick(p1.tick(p0.tick(x[i])))
                y[i] = q2.tick(q1.tick(q0.tick(y[i])))
              }
              (fa[s], fa[s + 1], fa[s + 2]) = (p0, p1, p2)
              (fb[s], fb[s + 1], fb[s + 2]) = (q0, q1, q2)
              s += 3
            }
          }
        }
      }
      for i in 0..<n {
        l0[i] = Float(x[i].x)
        r0[i] = Float(x[i].y)
        l1[i] = Float(y[i].x)
        r1[i] = Float(y[i].y)
      }
    } flush: {
      a.flushSections()
      b.flushSections()
    }
    a.grid = grid
    b.grid = grid
  }
}
