//! Node id → graph index, for the wiring.
//!
//! A map keyed by `NodeId` holds a second copy of every id beside the one
//! in the node (140,000 ids at 100,000 buckets: 14 MB of table and copies).
//! This table holds only the graph indices; a lookup hashes the id asked
//! for and compares it with the id of the node each candidate index names.
//!
//! Invariant: every index in the table names a live node of the graph the
//! caller passes, and no two name nodes with the same id. The caller
//! inserts after adding a node and removes before removing it.

use crate::model::document::NodeId;
use hashbrown::HashTable;
use petgraph::stable_graph::NodeIndex;
use std::hash::BuildHasher;

/// The indices of a graph's nodes, found by the nodes' ids.
#[derive(Debug, Clone, Default)]
pub struct IdIndex {
    table: HashTable<NodeIndex>,
}

fn hash(id: &str) -> u64 {
    rustc_hash::FxBuildHasher.hash_one(id)
}

impl IdIndex {
    /// Room for `additional` more ids without growing.
    pub fn reserve<'g>(&mut self, additional: usize, id_of: impl Fn(NodeIndex) -> &'g NodeId) {
        self.table.reserve(additional, |&i| hash(id_of(i).as_str()));
    }

    /// The index of the node with this id; `id_of` gives a node's id.
    pub fn get<'g>(&self, id: &str, id_of: impl Fn(NodeIndex) -> &'g NodeId) -> Option<NodeIndex> {
        self.table
            .find(hash(id), |&i| id_of(i).as_str() == id)
            .copied()
    }

    /// Records the index of a node just added, whose id no other node has.
    pub fn insert<'g>(
        &mut self,
        id: &str,
        index: NodeIndex,
        id_of: impl Fn(NodeIndex) -> &'g NodeId,
    ) {
        self.table
            .insert_unique(hash(id), index, |&i| hash(id_of(i).as_str()));
    }

    /// Forgets the node with this id (before it is removed from the graph).
    pub fn remove<'g>(&mut self, id: &str, id_of: impl Fn(NodeIndex) -> &'g NodeId) {
        if let Ok(entry) = self
            .table
            .find_entry(hash(id), |&i| id_of(i).as_str() == id)
        {
            entry.remove();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A stand-in graph: slot `i` holds the id of node `i`, `None` once
    /// removed (a removed slot is reused, as `StableGraph` reuses it).
    struct Slots(Vec<Option<NodeId>>);

    impl Slots {
        fn id(&self, i: NodeIndex) -> &NodeId {
            self.0[i.index()]
                .as_ref()
                .expect("the index names a live node")
        }
    }

    #[test]
    fn finds_each_id_and_forgets_a_removed_one_even_when_its_slot_is_reused() {
        let mut slots = Slots(Vec::new());
        let mut index = IdIndex::default();
        for n in 0..1000 {
            let id = NodeId::new(format!("node-{n}"));
            slots.0.push(Some(id.clone()));
            index.insert(id.as_str(), NodeIndex::new(n), |i| slots.id(i));
        }
        assert_eq!(
            index.get("node-417", |i| slots.id(i)),
            Some(NodeIndex::new(417))
        );
        assert_eq!(index.get("node-1000", |i| slots.id(i)), None);

        index.remove("node-417", |i| slots.id(i));
        slots.0[417] = Some(NodeId::new("new-node"));
        index.insert("new-node", NodeIndex::new(417), |i| slots.id(i));
        assert_eq!(index.get("node-417", |i| slots.id(i)), None);
        assert_eq!(
            index.get("new-node", |i| slots.id(i)),
            Some(NodeIndex::new(417))
        );
        assert_eq!(
            index.get("node-418", |i| slots.id(i)),
            Some(NodeIndex::new(418))
        );
        // Removing an id that is not there changes nothing.
        index.remove("node-417", |i| slots.id(i));
        assert_eq!(
            index.get("node-0", |i| slots.id(i)),
            Some(NodeIndex::new(0))
        );
    }
}
