import ArgumentParser
import Foundation
import PatternAudioIO
import TestSupport
import Testing

@testable import pstudio

/// `pstudio render`'s quick start (`QuickStart.plainRender`) against ArgumentParser's `Render`: whatever the quick
/// start takes, it must read exactly as ArgumentParser does, and it must leave everything else to ArgumentParser.
@Suite("render's quick start")
struct RenderQuickStartTests {
  /// ArgumentParser's reading of `arguments` (after `render`).
  private func parsed(_ arguments: [String]) throws -> RenderArguments {
    try Render.parse(arguments).arguments
  }

  @Test("the plain forms read as ArgumentParser reads them")
  func plainForms() throws {
    let forms: [[String]] = [
      ["song.pattern", "-o", "out.wav"],
      ["-o", "out.flac", "song.pattern"],
      ["song.pattern", "--output", "out.wav", "-q"],
      ["song.pattern", "--output=out.wav", "--bits=32f", "--quiet"],
      ["-", "-o", "out.wav", "--bits", "24", "--rate", "96000"],
      ["song.pattern", "-o", "out.wav", "--bits", "32f", "-q", "--threads", "1", "--stats", "--profile"],
      ["song.pattern", "-o", "out.wav", "--gain", "-3.5", "--block-size", "256"],
      ["song.pattern", "-o", "out.wav", "--gain=-6"],
      ["song.pattern", "-o", "out.flac", "--loudness", "-14", "--true-peak", "-2"],
      ["song.pattern", "-o", "out.flac", "--loudness=-23.5", "--true-peak=-1"],
      ["song.pattern", "-o", "out.wav", "--title", "T", "--artist", "A b", "--comment", "c=d", "--midi", "x.mid"],
      ["song.pattern", "--instruments", "one", "-o", "out.wav", "--instruments=two", "--instruments", "three"],
      ["song.pattern", "-o", "out.wav", "--rate", "+44100", "--threads", "64"],
      ["song.pattern", "-o", "out.wav", "--gain", "1e-1"],
    ]
    for form in forms {
      let quick = QuickStart.plainRender(form[...])
      #expect(quick != nil, "\(form)")
      #expect(quick == (try parsed(form)), "\(form)")
    }
  }

  @Test("anything else is left to ArgumentParser")
  func otherForms() {
    let forms: [[String]] = [
      ["song.pattern", "-o", "out.wav", "--watch"],
      ["song.pattern", "-qo", "out.wav"],
      ["song.pattern", "-o=out.wav"],
      ["song.pattern", "-o", "a.wav", "-o", "b.wav"],
      ["song.pattern", "-o", "a.wav", "--output", "b.wav"],
      ["song.pattern", "-o", "a.wav", "--bits", "16", "--bits", "24"],
      ["song.pattern", "-o", "a.wav", "-q", "--quiet"],
      ["song.pattern", "-o", "a.wav", "--quiet=true"],
      ["song.pattern", "-o", "a.wav", "--title="],
      ["--title=", "song.pattern", "-o", "a.wav"],
      ["song.pattern", "--instruments=", "-o", "a.wav"],
      ["song.pattern", "--midi=", "-o", "a.wav"],
      ["song.pattern", "--output=", "a.wav"],
      ["song.pattern", "-o", "a.wav", "--help"],
      ["song.pattern", "-o", "a.wav", "-h"],
      ["song.pattern", "-o", "a.wav", "--verbose"],
      ["song.pattern", "other.pattern", "-o", "a.wav"],
      ["song.pattern"],
      ["-o", "a.wav"],
      ["song.pattern", "-o"],
      ["song.pattern", "-o", "a.wav", "--threads", "-2"],
      ["song.pattern", "-o", "a.wav", "--threads", "two"],
      ["song.pattern", "-o", "a.wav", "--bits", "8"],
      ["song.pattern", "-o", "a.wav", "--title", "-x"],
      ["song.pattern", "-o", "a.wav", "--", "x"],
      ["--help"],
      [],
    ]
    for form in forms { #expect(QuickStart.plainRender(form[...]) == nil, "\(form)") }
  }

  @Test("usage errors in plain forms are still ArgumentParser's (exit 2, its usage line)")
  func usageErrors() async throws {
    let dir = Scratch.folder()
    let song = dir + "/song.pattern"
    try "melody { sine C4 0; }\n".write(toFile: song, atomically: true, encoding: .utf8)
    for args in [
      ["render", song, "-o", dir + "/x.mp3"], ["render", song, "-o", dir + "/x.wav", "--threads", "0"],
      ["render", song, "-o", dir + "/x.flac", "--bits", "32f"], ["render", song, "-o", song + ".wav", "--midi", song],
    ] {
      let r = try await CLI.run(args)
      #expect(r.status == 2 && r.stderr.contains("Usage: pstudio render"), "\(args): \(r.stderr)")
    }
    // And a plain form renders, with the summary ArgumentParser's path prints.
    let ok = try await CLI.run(["render", song, "-o", dir + "/x.wav", "--bits", "24"])
    #expect(ok.status == 0 && ok.stderr.contains("× realtime"), "\(ok.stderr)")
    #expect(try AudioFileReader.info(path: dir + "/x.wav").encoding == "24")
  }
}
