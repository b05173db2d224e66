"""Roads and distance: one metric frame per township and one road network for every use.

frame     TownshipFrame: the projected CRS a township is measured in (and its tangent plane)
roads     RoadNetwork: the scoped pgRouting edge set, snapping, cost matrices, paths (session)
edges     the edge set in memory: snapping in metres, drawing legs (pure)
distances road distances between snapped points from a vertex cost matrix (pure)
legs      leg plausibility: network gaps, named (pure)
tours     one OR-Tools solver for closed rounds and open tours (pure)
"""
