namespace OpsDesk.Workflows.Sla;

/// <summary>What the clock says is due now.</summary>
public enum SlaDecision
{
    None,

    /// <summary>The warning time has been reached and no warning was written yet.</summary>
    Warn,

    /// <summary>The deadline has been reached and no breach was written yet (a warning due at the same moment is skipped).</summary>
    Breach,
}
