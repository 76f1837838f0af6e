import CSndFile

/// Text tags written into the file (WAV LIST/INFO, FLAC Vorbis comments).
public struct AudioTags: Hashable, Sendable {
  public var title: String?
  public var artist: String?
  public var album: String?
  public var comment: String?
  public var date: String?
  public var trackNumber: String?
  public var software: String?
  public var genre: String?

  public init(
    title: String? = nil, artist: String? = nil, album: String? = nil, comment: String? = nil, date: String? = nil,
    trackNumber: String? = nil, software: String? = nil, genre: String? = nil
  ) {
    self.title = title
    self.artist = artist
    self.album = album
    self.comment = comment
    self.date = date
    self.trackNumber = trackNumber
    self.software = software
    self.genre = genre
  }

  var sndfileStrings: [(Int32, String?)] {
    [
      (Int32(SF_STR_TITLE), title), (Int32(SF_STR_ARTIST), artist), (Int32(SF_STR_ALBUM), album),
      (Int32(SF_STR_COMMENT), comment), (Int32(SF_STR_DATE), date), (Int32(SF_STR_TRACKNUMBER), trackNumber),
      (Int32(SF_STR_SOFTWARE), software), (Int32(SF_STR_GENRE), genre),
    ]
  }
}
