namespace OpsDesk.Db.Kb;

/// <summary>What a write did: created, changed (version bumped), unchanged (same content, same version), or refused.</summary>
public enum KbWriteOutcome
{
    Created,
    Updated,
    Unchanged,
    NotFound,
    SlugTaken,
}
