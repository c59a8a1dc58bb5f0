namespace OpsDesk.Workflows.Kb;

/// <summary>Vector arithmetic for unit-length embeddings.</summary>
public static class Vectors
{
    /// <summary>Scales <paramref name="v"/> to length 1 in place (a zero vector stays zero) and returns it.</summary>
    public static float[] Normalize(float[] v)
    {
        double sum = 0;
        foreach (var x in v)
            sum += x * x;
        if (sum <= 0)
            return v;
        var inv = (float)(1 / Math.Sqrt(sum));
        for (var i = 0; i < v.Length; i++)
            v[i] *= inv;
        return v;
    }

    /// <summary>Cosine similarity of two unit vectors (their dot product); 0 when the lengths differ.</summary>
    public static float Cosine(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length)
            return 0;
        var width = System.Numerics.Vector<float>.Count;
        var acc = System.Numerics.Vector<float>.Zero;
        var i = 0;
        for (; i <= a.Length - width; i += width)
            acc += new System.Numerics.Vector<float>(a[i..]) * new System.Numerics.Vector<float>(b[i..]);
        var sum = System.Numerics.Vector.Sum(acc);
        for (; i < a.Length; i++)
            sum += a[i] * b[i];
        return sum;
    }
}
