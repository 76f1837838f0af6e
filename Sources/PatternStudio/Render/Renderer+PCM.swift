import PatternLanguage

extension Renderer {
  /// Renders into memory as interleaved PCM widened to `Int32` (`PCMCollector`): for tests and tools.
  public func renderPCM(_ compiled: CompiledPattern, settings: RenderSettings = RenderSettings()) throws -> [Int32] {
    let collector = PCMCollector()
    try render(compiled, settings: settings, into: [collector])
    return collector.samples
  }
}
